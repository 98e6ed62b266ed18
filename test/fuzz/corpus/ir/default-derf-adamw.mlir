module attributes {nf.model = "derf-adamw"} {
  nf.param @embed.tokens : tensor<256x128xf32> init <normal(2.000000e-02)> group <embedding> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @embed.scale : tensor<f32> init <constant(11.313708498984761)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.ffn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.0.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.0.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.attn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.ffn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.ffn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.1.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.1.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.attn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.attn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.ffn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.ffn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.2.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.2.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.attn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.attn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.attn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.attn.wq : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.attn.wk : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.attn.wv : tensor<128x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.attn.wo : tensor<128x128xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.ffn_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.ffn_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @layers.3.ffn_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.ffn.w_up : tensor<512x128xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @layers.3.ffn.w_down : tensor<128x512xf32> init <normal(0.0070710678118654745)> group <matrix> weight_decay(1.000000e-01) optimizer <adamw>
  nf.param @final_norm.alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @final_norm.shift : tensor<f32> init <constant(0.000000e+00)> group <scalar> weight_decay(0.000000e+00) optimizer <adamw>
  nf.param @final_norm.scale : tensor<128xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
  func.func @forward(%arg0: tensor<16x128xi32> {nf.name = "tokens"}, %arg1: tensor<16x128xi32> {nf.name = "targets"}) -> tensor<f32> {
    %0 = nf.get_param @embed.tokens : tensor<256x128xf32>
    %1 = nf.embedding %arg0, %0 : tensor<16x128xi32>, tensor<256x128xf32> -> tensor<16x128x128xf32>
    %2 = nf.get_param @embed.scale : tensor<f32>
    %3 = nf.mul %1, %2 : tensor<16x128x128xf32>, tensor<f32>
    %4 = nf.get_param @layers.0.attn_norm.alpha : tensor<f32>
    %5 = nf.get_param @layers.0.attn_norm.shift : tensor<f32>
    %6 = nf.derf %3, %4, %5 : tensor<16x128x128xf32>, tensor<f32>
    %7 = nf.get_param @layers.0.attn_norm.scale : tensor<128xf32>
    %8 = nf.scale %6, %7 : tensor<16x128x128xf32>, tensor<128xf32>
    %9 = nf.get_param @layers.0.attn.wq : tensor<128x128xf32>
    %10 = nf.linear %8, %9 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %11 = nf.split_heads %10 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %12 = nf.get_param @layers.0.attn.wk : tensor<128x128xf32>
    %13 = nf.linear %8, %12 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %14 = nf.split_heads %13 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %15 = nf.get_param @layers.0.attn.wv : tensor<128x128xf32>
    %16 = nf.linear %8, %15 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %17 = nf.split_heads %16 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %18 = nf.attention %11, %14, %17 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %19 = nf.merge_heads %18 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %20 = nf.get_param @layers.0.attn.wo : tensor<128x128xf32>
    %21 = nf.linear %19, %20 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %22 = nf.add %3, %21 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %23 = nf.get_param @layers.0.ffn_norm.alpha : tensor<f32>
    %24 = nf.get_param @layers.0.ffn_norm.shift : tensor<f32>
    %25 = nf.derf %22, %23, %24 : tensor<16x128x128xf32>, tensor<f32>
    %26 = nf.get_param @layers.0.ffn_norm.scale : tensor<128xf32>
    %27 = nf.scale %25, %26 : tensor<16x128x128xf32>, tensor<128xf32>
    %28 = nf.get_param @layers.0.ffn.w_up : tensor<512x128xf32>
    %29 = nf.linear %27, %28 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %30 = nf.gelu %29 : tensor<16x128x512xf32>
    %31 = nf.get_param @layers.0.ffn.w_down : tensor<128x512xf32>
    %32 = nf.linear %30, %31 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %33 = nf.add %22, %32 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %34 = nf.get_param @layers.1.attn_norm.alpha : tensor<f32>
    %35 = nf.get_param @layers.1.attn_norm.shift : tensor<f32>
    %36 = nf.derf %33, %34, %35 : tensor<16x128x128xf32>, tensor<f32>
    %37 = nf.get_param @layers.1.attn_norm.scale : tensor<128xf32>
    %38 = nf.scale %36, %37 : tensor<16x128x128xf32>, tensor<128xf32>
    %39 = nf.get_param @layers.1.attn.wq : tensor<128x128xf32>
    %40 = nf.linear %38, %39 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %41 = nf.split_heads %40 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %42 = nf.get_param @layers.1.attn.wk : tensor<128x128xf32>
    %43 = nf.linear %38, %42 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %44 = nf.split_heads %43 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %45 = nf.get_param @layers.1.attn.wv : tensor<128x128xf32>
    %46 = nf.linear %38, %45 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %47 = nf.split_heads %46 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %48 = nf.attention %41, %44, %47 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %49 = nf.merge_heads %48 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %50 = nf.get_param @layers.1.attn.wo : tensor<128x128xf32>
    %51 = nf.linear %49, %50 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %52 = nf.add %33, %51 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %53 = nf.get_param @layers.1.ffn_norm.alpha : tensor<f32>
    %54 = nf.get_param @layers.1.ffn_norm.shift : tensor<f32>
    %55 = nf.derf %52, %53, %54 : tensor<16x128x128xf32>, tensor<f32>
    %56 = nf.get_param @layers.1.ffn_norm.scale : tensor<128xf32>
    %57 = nf.scale %55, %56 : tensor<16x128x128xf32>, tensor<128xf32>
    %58 = nf.get_param @layers.1.ffn.w_up : tensor<512x128xf32>
    %59 = nf.linear %57, %58 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %60 = nf.gelu %59 : tensor<16x128x512xf32>
    %61 = nf.get_param @layers.1.ffn.w_down : tensor<128x512xf32>
    %62 = nf.linear %60, %61 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %63 = nf.add %52, %62 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %64 = nf.get_param @layers.2.attn_norm.alpha : tensor<f32>
    %65 = nf.get_param @layers.2.attn_norm.shift : tensor<f32>
    %66 = nf.derf %63, %64, %65 : tensor<16x128x128xf32>, tensor<f32>
    %67 = nf.get_param @layers.2.attn_norm.scale : tensor<128xf32>
    %68 = nf.scale %66, %67 : tensor<16x128x128xf32>, tensor<128xf32>
    %69 = nf.get_param @layers.2.attn.wq : tensor<128x128xf32>
    %70 = nf.linear %68, %69 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %71 = nf.split_heads %70 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %72 = nf.get_param @layers.2.attn.wk : tensor<128x128xf32>
    %73 = nf.linear %68, %72 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %74 = nf.split_heads %73 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %75 = nf.get_param @layers.2.attn.wv : tensor<128x128xf32>
    %76 = nf.linear %68, %75 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %77 = nf.split_heads %76 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %78 = nf.attention %71, %74, %77 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %79 = nf.merge_heads %78 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %80 = nf.get_param @layers.2.attn.wo : tensor<128x128xf32>
    %81 = nf.linear %79, %80 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %82 = nf.add %63, %81 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %83 = nf.get_param @layers.2.ffn_norm.alpha : tensor<f32>
    %84 = nf.get_param @layers.2.ffn_norm.shift : tensor<f32>
    %85 = nf.derf %82, %83, %84 : tensor<16x128x128xf32>, tensor<f32>
    %86 = nf.get_param @layers.2.ffn_norm.scale : tensor<128xf32>
    %87 = nf.scale %85, %86 : tensor<16x128x128xf32>, tensor<128xf32>
    %88 = nf.get_param @layers.2.ffn.w_up : tensor<512x128xf32>
    %89 = nf.linear %87, %88 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %90 = nf.gelu %89 : tensor<16x128x512xf32>
    %91 = nf.get_param @layers.2.ffn.w_down : tensor<128x512xf32>
    %92 = nf.linear %90, %91 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %93 = nf.add %82, %92 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %94 = nf.get_param @layers.3.attn_norm.alpha : tensor<f32>
    %95 = nf.get_param @layers.3.attn_norm.shift : tensor<f32>
    %96 = nf.derf %93, %94, %95 : tensor<16x128x128xf32>, tensor<f32>
    %97 = nf.get_param @layers.3.attn_norm.scale : tensor<128xf32>
    %98 = nf.scale %96, %97 : tensor<16x128x128xf32>, tensor<128xf32>
    %99 = nf.get_param @layers.3.attn.wq : tensor<128x128xf32>
    %100 = nf.linear %98, %99 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %101 = nf.split_heads %100 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %102 = nf.get_param @layers.3.attn.wk : tensor<128x128xf32>
    %103 = nf.linear %98, %102 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %104 = nf.split_heads %103 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %105 = nf.get_param @layers.3.attn.wv : tensor<128x128xf32>
    %106 = nf.linear %98, %105 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %107 = nf.split_heads %106 : tensor<16x128x128xf32> -> tensor<16x128x4x32xf32>
    %108 = nf.attention %101, %104, %107 rope(1.000000e+04) : tensor<16x128x4x32xf32>
    %109 = nf.merge_heads %108 : tensor<16x128x4x32xf32> -> tensor<16x128x128xf32>
    %110 = nf.get_param @layers.3.attn.wo : tensor<128x128xf32>
    %111 = nf.linear %109, %110 : tensor<16x128x128xf32>, tensor<128x128xf32> -> tensor<16x128x128xf32>
    %112 = nf.add %93, %111 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %113 = nf.get_param @layers.3.ffn_norm.alpha : tensor<f32>
    %114 = nf.get_param @layers.3.ffn_norm.shift : tensor<f32>
    %115 = nf.derf %112, %113, %114 : tensor<16x128x128xf32>, tensor<f32>
    %116 = nf.get_param @layers.3.ffn_norm.scale : tensor<128xf32>
    %117 = nf.scale %115, %116 : tensor<16x128x128xf32>, tensor<128xf32>
    %118 = nf.get_param @layers.3.ffn.w_up : tensor<512x128xf32>
    %119 = nf.linear %117, %118 : tensor<16x128x128xf32>, tensor<512x128xf32> -> tensor<16x128x512xf32>
    %120 = nf.gelu %119 : tensor<16x128x512xf32>
    %121 = nf.get_param @layers.3.ffn.w_down : tensor<128x512xf32>
    %122 = nf.linear %120, %121 : tensor<16x128x512xf32>, tensor<128x512xf32> -> tensor<16x128x128xf32>
    %123 = nf.add %112, %122 : tensor<16x128x128xf32>, tensor<16x128x128xf32>
    %124 = nf.get_param @final_norm.alpha : tensor<f32>
    %125 = nf.get_param @final_norm.shift : tensor<f32>
    %126 = nf.derf %123, %124, %125 : tensor<16x128x128xf32>, tensor<f32>
    %127 = nf.get_param @final_norm.scale : tensor<128xf32>
    %128 = nf.scale %126, %127 : tensor<16x128x128xf32>, tensor<128xf32>
    %129 = nf.linear %128, %0 : tensor<16x128x128xf32>, tensor<256x128xf32> -> tensor<16x128x256xf32>
    %130 = nf.cross_entropy %129, %arg1 : tensor<16x128x256xf32>, tensor<16x128xi32> -> tensor<f32>
    return %130 : tensor<f32>
  }
}

