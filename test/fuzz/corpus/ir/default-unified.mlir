module attributes {nf.model = "unified"} {
  nf.param @embed.tokens : tensor<256x16xf32> init <normal(2.000000e-02)> group <embedding> weight_decay(5.000000e-02) optimizer <adamw>
  nf.param @layers.0.attn_norm.scale.wq.direction : tensor<16xf32> init <ones> group <direction> weight_decay(0.000000e+00) optimizer <adamw> derived_from("layers.0.attn_norm.scale.wq")
  nf.param @layers.0.attn_norm.scale.wq.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn_norm.scale.wk.direction : tensor<16xf32> init <ones> group <direction> weight_decay(0.000000e+00) optimizer <adamw> derived_from("layers.0.attn_norm.scale.wk")
  nf.param @layers.0.attn_norm.scale.wk.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn_norm.scale.wv.direction : tensor<16xf32> init <ones> group <direction> weight_decay(0.000000e+00) optimizer <adamw> derived_from("layers.0.attn_norm.scale.wv")
  nf.param @layers.0.attn_norm.scale.wv.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn.wq : tensor<16x16xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(5.000000e-02) optimizer <muon>
  nf.param @layers.0.attn.wq.out_scale.direction : tensor<16xf32> init <ones> group <direction> weight_decay(0.000000e+00) optimizer <adamw> derived_from("layers.0.attn.wq.out_scale")
  nf.param @layers.0.attn.wq.out_scale.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn.wk : tensor<16x16xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(5.000000e-02) optimizer <muon>
  nf.param @layers.0.attn.wk.out_scale.direction : tensor<16xf32> init <ones> group <direction> weight_decay(0.000000e+00) optimizer <adamw> derived_from("layers.0.attn.wk.out_scale")
  nf.param @layers.0.attn.wk.out_scale.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn.wv : tensor<16x16xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(5.000000e-02) optimizer <muon>
  nf.param @layers.0.attn.wv.out_scale.direction : tensor<16xf32> init <ones> group <direction> weight_decay(0.000000e+00) optimizer <adamw> derived_from("layers.0.attn.wv.out_scale")
  nf.param @layers.0.attn.wv.out_scale.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn.wo : tensor<16x16xf32> init <normal(0.014142135623730949)> group <matrix> weight_decay(5.000000e-02) optimizer <muon>
  nf.param @layers.0.ffn_norm.scale.direction : tensor<16xf32> init <ones> group <direction> weight_decay(0.000000e+00) optimizer <adamw> derived_from("layers.0.ffn_norm.scale")
  nf.param @layers.0.ffn_norm.scale.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn.w_up : tensor<64x16xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(5.000000e-02) optimizer <muon>
  nf.param @layers.0.ffn.w_up.out_scale.direction : tensor<64xf32> init <ones> group <direction> weight_decay(0.000000e+00) optimizer <adamw> derived_from("layers.0.ffn.w_up.out_scale")
  nf.param @layers.0.ffn.w_up.out_scale.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn.w_down : tensor<16x64xf32> init <normal(0.014142135623730949)> group <matrix> weight_decay(5.000000e-02) optimizer <muon>
  nf.param @final_norm.scale.direction : tensor<16xf32> init <ones> group <direction> weight_decay(0.000000e+00) optimizer <adamw> derived_from("final_norm.scale")
  nf.param @final_norm.scale.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @lm_head.weight : tensor<256x16xf32> init <normal(2.000000e-02)> group <head> weight_decay(5.000000e-02) optimizer <adamw>
  nf.param @lm_head.weight.out_scale.direction : tensor<256xf32> init <ones> group <direction> weight_decay(0.000000e+00) optimizer <adamw> derived_from("lm_head.weight.out_scale")
  nf.param @lm_head.weight.out_scale.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude> weight_decay(0.000000e+00) optimizer <adamw>
  func.func @forward(%arg0: tensor<1x4xi32> {nf.name = "tokens"}, %arg1: tensor<1x4xi32> {nf.name = "targets"}) -> tensor<f32> {
    %0 = nf.get_param @embed.tokens : tensor<256x16xf32>
    %1 = nf.embedding %arg0, %0 : tensor<1x4xi32>, tensor<256x16xf32> -> tensor<1x4x16xf32>
    %2 = nf.rmsnorm %1 eps(9.9999999999999995E-7) : tensor<1x4x16xf32>
    %3 = nf.get_param @layers.0.attn.wq : tensor<16x16xf32>
    %4 = nf.get_param @layers.0.attn_norm.scale.wq.direction : tensor<16xf32>
    %5 = nf.rmsnorm %4 eps(0.000000e+00) : tensor<16xf32>
    %6 = nf.get_param @layers.0.attn_norm.scale.wq.magnitude : tensor<f32>
    %7 = nf.mul %5, %6 : tensor<16xf32>, tensor<f32>
    %8 = nf.scale %2, %7 : tensor<1x4x16xf32>, tensor<16xf32>
    %9 = nf.linear %8, %3 : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
    %10 = nf.get_param @layers.0.attn.wq.out_scale.direction : tensor<16xf32>
    %11 = nf.rmsnorm %10 eps(0.000000e+00) : tensor<16xf32>
    %12 = nf.get_param @layers.0.attn.wq.out_scale.magnitude : tensor<f32>
    %13 = nf.mul %11, %12 : tensor<16xf32>, tensor<f32>
    %14 = nf.scale %9, %13 : tensor<1x4x16xf32>, tensor<16xf32>
    %15 = nf.split_heads %14 : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
    %16 = nf.get_param @layers.0.attn.wk : tensor<16x16xf32>
    %17 = nf.get_param @layers.0.attn_norm.scale.wk.direction : tensor<16xf32>
    %18 = nf.rmsnorm %17 eps(0.000000e+00) : tensor<16xf32>
    %19 = nf.get_param @layers.0.attn_norm.scale.wk.magnitude : tensor<f32>
    %20 = nf.mul %18, %19 : tensor<16xf32>, tensor<f32>
    %21 = nf.scale %2, %20 : tensor<1x4x16xf32>, tensor<16xf32>
    %22 = nf.linear %21, %16 : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
    %23 = nf.get_param @layers.0.attn.wk.out_scale.direction : tensor<16xf32>
    %24 = nf.rmsnorm %23 eps(0.000000e+00) : tensor<16xf32>
    %25 = nf.get_param @layers.0.attn.wk.out_scale.magnitude : tensor<f32>
    %26 = nf.mul %24, %25 : tensor<16xf32>, tensor<f32>
    %27 = nf.scale %22, %26 : tensor<1x4x16xf32>, tensor<16xf32>
    %28 = nf.split_heads %27 : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
    %29 = nf.get_param @layers.0.attn.wv : tensor<16x16xf32>
    %30 = nf.get_param @layers.0.attn_norm.scale.wv.direction : tensor<16xf32>
    %31 = nf.rmsnorm %30 eps(0.000000e+00) : tensor<16xf32>
    %32 = nf.get_param @layers.0.attn_norm.scale.wv.magnitude : tensor<f32>
    %33 = nf.mul %31, %32 : tensor<16xf32>, tensor<f32>
    %34 = nf.scale %2, %33 : tensor<1x4x16xf32>, tensor<16xf32>
    %35 = nf.linear %34, %29 : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
    %36 = nf.get_param @layers.0.attn.wv.out_scale.direction : tensor<16xf32>
    %37 = nf.rmsnorm %36 eps(0.000000e+00) : tensor<16xf32>
    %38 = nf.get_param @layers.0.attn.wv.out_scale.magnitude : tensor<f32>
    %39 = nf.mul %37, %38 : tensor<16xf32>, tensor<f32>
    %40 = nf.scale %35, %39 : tensor<1x4x16xf32>, tensor<16xf32>
    %41 = nf.split_heads %40 : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
    %42 = nf.attention %15, %28, %41 rope(1.000000e+04) : tensor<1x4x2x8xf32>
    %43 = nf.merge_heads %42 : tensor<1x4x2x8xf32> -> tensor<1x4x16xf32>
    %44 = nf.get_param @layers.0.attn.wo : tensor<16x16xf32>
    %45 = nf.linear %43, %44 : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
    %46 = nf.add %1, %45 : tensor<1x4x16xf32>, tensor<1x4x16xf32>
    %47 = nf.rmsnorm %46 eps(9.9999999999999995E-7) : tensor<1x4x16xf32>
    %48 = nf.get_param @layers.0.ffn_norm.scale.direction : tensor<16xf32>
    %49 = nf.rmsnorm %48 eps(0.000000e+00) : tensor<16xf32>
    %50 = nf.get_param @layers.0.ffn_norm.scale.magnitude : tensor<f32>
    %51 = nf.mul %49, %50 : tensor<16xf32>, tensor<f32>
    %52 = nf.scale %47, %51 : tensor<1x4x16xf32>, tensor<16xf32>
    %53 = nf.get_param @layers.0.ffn.w_up : tensor<64x16xf32>
    %54 = nf.linear %52, %53 : tensor<1x4x16xf32>, tensor<64x16xf32> -> tensor<1x4x64xf32>
    %55 = nf.get_param @layers.0.ffn.w_up.out_scale.direction : tensor<64xf32>
    %56 = nf.rmsnorm %55 eps(0.000000e+00) : tensor<64xf32>
    %57 = nf.get_param @layers.0.ffn.w_up.out_scale.magnitude : tensor<f32>
    %58 = nf.mul %56, %57 : tensor<64xf32>, tensor<f32>
    %59 = nf.scale %54, %58 : tensor<1x4x64xf32>, tensor<64xf32>
    %60 = nf.gelu %59 : tensor<1x4x64xf32>
    %61 = nf.get_param @layers.0.ffn.w_down : tensor<16x64xf32>
    %62 = nf.linear %60, %61 : tensor<1x4x64xf32>, tensor<16x64xf32> -> tensor<1x4x16xf32>
    %63 = nf.add %46, %62 : tensor<1x4x16xf32>, tensor<1x4x16xf32>
    %64 = nf.rmsnorm %63 eps(9.9999999999999995E-7) : tensor<1x4x16xf32>
    %65 = nf.get_param @final_norm.scale.direction : tensor<16xf32>
    %66 = nf.rmsnorm %65 eps(0.000000e+00) : tensor<16xf32>
    %67 = nf.get_param @final_norm.scale.magnitude : tensor<f32>
    %68 = nf.mul %66, %67 : tensor<16xf32>, tensor<f32>
    %69 = nf.scale %64, %68 : tensor<1x4x16xf32>, tensor<16xf32>
    %70 = nf.get_param @lm_head.weight : tensor<256x16xf32>
    %71 = nf.linear %69, %70 : tensor<1x4x16xf32>, tensor<256x16xf32> -> tensor<1x4x256xf32>
    %72 = nf.get_param @lm_head.weight.out_scale.direction : tensor<256xf32>
    %73 = nf.rmsnorm %72 eps(0.000000e+00) : tensor<256xf32>
    %74 = nf.get_param @lm_head.weight.out_scale.magnitude : tensor<f32>
    %75 = nf.mul %73, %74 : tensor<256xf32>, tensor<f32>
    %76 = nf.scale %71, %75 : tensor<1x4x256xf32>, tensor<256xf32>
    %77 = nf.cross_entropy %76, %arg1 : tensor<1x4x256xf32>, tensor<1x4xi32> -> tensor<f32>
    return %77 : tensor<f32>
  }
}

